# just
# comments

   
