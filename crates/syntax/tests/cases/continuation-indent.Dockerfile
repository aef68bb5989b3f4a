FROM a
RUN echo hello\
    world
RUN echo a \  	
  b
