-- From template0 with the source's encoding and locale, so every value restores as it was. Not TEMPLATE <source>:
-- that file-level copy fails while any other session is connected to the source, and the API always is.
CREATE DATABASE {name} TEMPLATE template0 ENCODING {encoding} LC_COLLATE {collate} LC_CTYPE {ctype}
