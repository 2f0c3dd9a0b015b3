-- The new application books rooms.
INSERT INTO bookings (room_id, during, ref, guest_email, nights)
VALUES (1, '[2026-03-01,2026-03-03)', 'R1', 'a@example.com', 2),
       (1, '[2026-03-03,2026-03-05)', NULL, NULL, 2),
       (2, '[2026-03-01,2026-03-08)', 'R1', 'b@example.com', 7);
-- a booking for a room made later in the same transaction: the key waits for COMMIT
BEGIN;
INSERT INTO bookings (room_id, during, ref, nights) VALUES (9001, '[2026-04-01,2026-04-02)', 'R9', 1);
INSERT INTO rooms (id, name) VALUES (9001, 'new room');
COMMIT;
