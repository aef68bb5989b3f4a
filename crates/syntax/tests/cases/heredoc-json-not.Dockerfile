FROM a
RUN ["cat", "<<EOF"]
CMD <<EOF
