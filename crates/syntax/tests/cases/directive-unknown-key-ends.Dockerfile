# syntax=docker/dockerfile:1
# foo=bar
# escape=`
FROM a
RUN x \
 y
