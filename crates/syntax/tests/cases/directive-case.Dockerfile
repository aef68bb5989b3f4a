# ESCAPE=`
# Syntax = docker/dockerfile:1.7 
FROM a
RUN x `
 y
