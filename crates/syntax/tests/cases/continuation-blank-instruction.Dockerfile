FROM a
\
   \
