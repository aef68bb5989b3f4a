FROM a
RUN echo # not a comment
  # neither? 
RUN x
