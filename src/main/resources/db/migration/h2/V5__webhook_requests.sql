-- Webhook bodies accepted within their replay window (WEBHOOK_REPLAY_WINDOW), per source: each is known by the
-- SHA-256 of its raw bytes, never by the body itself (no personal data is kept), with the answer it got (tracking
-- id, accepted count, rejections by index and reason). Written in the transaction of the body's members, so a
-- replay (a captured request sent again, a CRM's retry after a lost answer) gets that answer and stores nothing.
-- Rows past expires_at no longer count and are purged.
create table webhook_request (
    source      varchar(100) not null,
    body_sha256 char(64)     not null,
    answer      character large object not null,
    accepted_at timestamp with time zone not null,
    expires_at  timestamp with time zone not null,
    primary key (source, body_sha256)
);
create index webhook_request_expiry on webhook_request (expires_at);
