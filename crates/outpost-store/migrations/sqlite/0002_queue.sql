-- Outpost schema, version 2 (SQLite): the work queue. See src/queue.rs for the states.
--
-- Times are Unix milliseconds from the application's clock (one machine shares one file).

CREATE TABLE work_queue (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    item        TEXT NOT NULL UNIQUE,        -- a path or URL
    state       TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'running', 'done', 'failed')),
    attempts    INTEGER NOT NULL DEFAULT 0,  -- claims so far
    worker      TEXT,                        -- last worker to claim it
    lease_until INTEGER,                     -- while running: lease deadline, Unix ms
    last_error  TEXT,                        -- reason given by the last fail
    enqueued_at INTEGER NOT NULL,            -- Unix ms
    updated_at  INTEGER NOT NULL             -- Unix ms
);
-- Claims scan the open items in id order.
CREATE INDEX work_queue_open ON work_queue (id) WHERE state IN ('pending', 'running');
CREATE INDEX work_queue_state ON work_queue (state);
