FROM a
ONBUILD RUN <<EOF
echo on
EOF
RUN echo after
