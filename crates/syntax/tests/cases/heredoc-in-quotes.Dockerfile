FROM a
RUN echo '<<EOF' && echo "<<X"
RUN echo <<'A B'
body
A B
