FROM --platform=$BUILDPLATFORM golang AS build
COPY --from=build --chown=1:1 /a /b
RUN --mount="type=cache,target=/root/.cache" --network=none make
CMD --doit ["a", "b"]
COPY -- --notaflag /x
RUN --mount=type=bind,source=a\ b,target=/c ls
ADD --link --checksum=sha256:abc https://x/y /z
