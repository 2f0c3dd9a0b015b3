INSERT INTO events (id, day, kind, code) VALUES (100001, '2023-05-05', 'click', 'OLD1'), (100002, '2024-06-01', 'click', 'OLD2'),
                                                (100003, '2024-06-02', 'view', 'OLD3'), (100004, '2027-01-01', 'buy', 'OLD4');
UPDATE events SET payload = '{"n": 9}' WHERE id BETWEEN 10 AND 20;
