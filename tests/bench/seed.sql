-- Seed tickets for the benchmark, from the rows tests/bench/mkcodes printed
-- (valid codes and phones), loaded into bench_seed by tests/bench/run.
-- Statuses, fields, agencies, answers and public/internal events are spread
-- the way a working center's history would be.
CREATE TEMP TABLE seed AS
SELECT s.code, s.phone, to_timestamp(s.created) AS created_at, s.i,
       (ARRAY['new', 'classified', 'forwarded', 'forwarded', 'agency_answered',
              'answered', 'answered', 'closed', 'needs_info', 'new'])[1 + s.i % 10] AS status,
       f.id AS field_id, f.default_agency_id AS agency_id
FROM bench_seed s
JOIN (SELECT id, default_agency_id, row_number() OVER (ORDER BY id) - 1 AS k FROM fields) f
  ON f.k = s.i % (SELECT count(*) FROM fields);

WITH t AS (
	INSERT INTO tickets (code, channel, name, phone, field_id, level, status, title,
	    content, agency_id, due_at, answer, answered_at, published, submit_key,
	    created_at, updated_at, closed_at)
	SELECT code, (ARRAY['web', 'phone', 'phone', 'zalo', 'email', 'facebook'])[1 + i % 6],
	    'Người dân ' || i, phone, field_id, 1 + i % 3, status,
	    'Phản ánh số ' || i || ' về ' || (ARRAY['đèn đường', 'rác thải', 'cấp nước',
	        'giấy phép xây dựng', 'hộ tịch', 'bảo hiểm y tế'])[1 + i % 6],
	    repeat('Nội dung phản ánh của người dân, mô tả chi tiết sự việc. ', 3 + i % 8),
	    CASE WHEN status IN ('forwarded', 'agency_answered', 'answered', 'closed')
	         THEN agency_id END,
	    created_at + interval '5 days',
	    CASE WHEN status IN ('answered', 'closed')
	         THEN repeat('Trả lời của cơ quan chức năng. ', 4 + i % 5) END,
	    CASE WHEN status IN ('answered', 'closed') THEN created_at + interval '3 days' END,
	    status IN ('answered', 'closed') AND i % 2 = 0,
	    md5(code), created_at, created_at,
	    CASE WHEN status = 'closed' THEN created_at + interval '4 days' END
	FROM seed ORDER BY created_at
	ON CONFLICT (code) DO NOTHING
	RETURNING id, status, created_at
)
INSERT INTO ticket_events (ticket_id, at, actor_label, kind, public, note)
SELECT t.id, t.created_at + e.after, e.actor, e.kind, e.public, e.note
FROM t
CROSS JOIN LATERAL (VALUES
	(1, interval '0', 'Người dân', 'created', true, 'Tổng đài đã tiếp nhận thông tin.'),
	(2, interval '2 hours', 'Điện thoại viên', 'classified', false, 'Phân loại lĩnh vực, cấp độ.'),
	(3, interval '3 hours', 'Điện thoại viên', 'forwarded', true, 'Đã chuyển đến cơ quan có thẩm quyền xử lý.'),
	(4, interval '4 hours', 'Điện thoại viên', 'note', false, 'Ghi chú nội bộ: đã gọi lại xác minh.'),
	(5, interval '2 days', 'Cán bộ đầu mối', 'agency_answered', false, 'Cơ quan đã gửi nội dung trả lời.'),
	(6, interval '3 days', 'Điện thoại viên', 'answered', true, 'Đã trả lời người dân.'),
	(7, interval '4 days', 'Điện thoại viên', 'closed', true, 'Đã đóng phiếu.')
) AS e (n, after, actor, kind, public, note)
WHERE e.n <= CASE t.status
	WHEN 'new' THEN 1 WHEN 'classified' THEN 2 WHEN 'needs_info' THEN 2
	WHEN 'forwarded' THEN 4 WHEN 'agency_answered' THEN 5
	WHEN 'answered' THEN 6 ELSE 7 END
ORDER BY t.id, e.n;

DROP TABLE bench_seed;
ANALYZE;
