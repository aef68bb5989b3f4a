FROM a
ONBUILD ADD . /app
ONBUILD --x RUN --mount=type=cache,target=/c make
onbuild run echo lower
ONBUILD ONBUILD RUN x
ONBUILD
