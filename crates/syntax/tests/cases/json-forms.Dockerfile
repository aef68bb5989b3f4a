FROM a
CMD ["a", "b c"]
CMD ['single']
CMD ["a"] trailing
CMD []
ENTRYPOINT ["\u0041\n"]
RUN [ "x" ,"y" ]
SHELL ["/bin/bash", "-c"]
VOLUME ["/a", "/b"]
VOLUME /c /d
COPY ["a b", "/c d/"]
CMD ["unterminated"
