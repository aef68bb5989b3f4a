FROM a
  \  
RUN x
