-- Exercise 09, step 4 of 4: contract. Runs once N is gone for good: only N+1 serves, and no rollback to N will come.

