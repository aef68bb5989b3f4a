# hello
# escape=`
FROM a
RUN x \
 y
