-- The process that claimed a batch in flight. A replica that becomes the batcher's leader makes the
-- batches other processes left in flight due again, and leaves its own (still uploading) alone.
alter table member_batch add column claimed_by varchar(200);
