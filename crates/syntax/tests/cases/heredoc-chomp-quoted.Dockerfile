FROM a
RUN <<-'EOT' bash
	echo $HOME
	EOT
RUN python3 <<"PY"
print('x')
PY
RUN 3<<EOF cat /dev/fd/3
fd
EOF
