FROM a
\

