from a AS Build
Run echo x
cOpY a b
WorkDir /app
