FROM a
RUN cat <<EOF \
  > /out
content
EOF
