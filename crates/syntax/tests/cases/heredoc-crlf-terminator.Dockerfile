FROM a
RUN <<EOF
x
EOF
