FROM alpine
RUN echo a \
  b
COPY <<EOF /x
hello
EOF
