FROM a
ENV A 1 B 2
ENV C=3 D="x y" E='z'
ENV F="a\"b" G=a\ b
LABEL a=b "c d"=e
LABEL legacy value with spaces
ARG X=1 Y
ARG Z="q r"
