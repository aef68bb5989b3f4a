FROM a
# comment \
RUN echo x
