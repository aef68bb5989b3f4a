#!/usr/bin/env buildctl
# escape=`
FROM a
RUN x \
 y
