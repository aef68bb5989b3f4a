FROM	a
RUN	echo	tab
   RUN    indented   
 RUN nbsp-led
CMD xy
