SELECT author_id FROM chirps WHERE id = @Id;
