# escape=`
FROM windows
ENV GOPATH `
\go
RUN dir c:\ `
  && echo done
COPY a\b `
  c
