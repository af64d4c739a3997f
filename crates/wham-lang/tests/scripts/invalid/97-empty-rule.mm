// error: a rule that names no part at all
::: { }
