# syntax=docker/dockerfile:1
FROM a
RUN <<EOF
echo hello
EOF
COPY <<FILE1 <<FILE2 /dest/
one
FILE1
two
FILE2
