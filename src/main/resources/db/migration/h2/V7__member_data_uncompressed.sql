-- PostgreSQL's V7 stops compressing member data; H2 does not compress it in the first place. Kept so that both
-- stores are at the same schema version.
select 1;
