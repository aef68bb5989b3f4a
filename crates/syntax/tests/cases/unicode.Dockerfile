FROM alpine
LABEL description="Ünïcödé ✓ 日本語 😀"
RUN echo 'é' é
ENV é=1
