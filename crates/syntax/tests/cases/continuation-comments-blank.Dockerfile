FROM a
RUN apt-get update \
# a comment
    && apt-get install -y \

      curl \
   # indented comment
      git
