-- Outpost schema, version 2 (PostgreSQL): the work queue. See src/queue.rs for the states.
--
-- Times come from the database server's clock (clock_timestamp()), so workers on several
-- machines agree on when a lease runs out whatever their own clocks say.

CREATE TABLE work_queue (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item        TEXT NOT NULL UNIQUE,        -- a path or URL
    state       TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'running', 'done', 'failed')),
    attempts    INTEGER NOT NULL DEFAULT 0,  -- claims so far
    worker      TEXT,                        -- last worker to claim it
    lease_until TIMESTAMPTZ,                 -- while running: lease deadline
    last_error  TEXT,                        -- reason given by the last fail
    enqueued_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
-- Claims scan the open items in id order (SELECT … FOR UPDATE SKIP LOCKED).
CREATE INDEX work_queue_open ON work_queue (id) WHERE state IN ('pending', 'running');
CREATE INDEX work_queue_state ON work_queue (state);
