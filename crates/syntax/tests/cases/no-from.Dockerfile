RUN echo works at parse level
