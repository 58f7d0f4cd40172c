-- Orders whose email no longer matches their customer's: in the source every order's email is its customer's.
SELECT count(*)
FROM {{schema}}.orders AS o
JOIN {{schema}}.customers AS c ON c.id = o.customer_id
WHERE o.email IS DISTINCT FROM c.email
