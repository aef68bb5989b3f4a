FROM a
ENV C trailing\\backslash\\
RUN echo next
