-- Demo dossiers for make run (scripts/db demo): the local table of the
-- dossier lookup (docs/dossiers.md), dated around today so that some are
-- due, some overdue and some ready.  Re-running updates them.
INSERT INTO dossiers (code, status, procedure, agency, received_on, due_on, missing, pickup)
SELECT v.prefix || '-' || to_char(current_date - v.ago, 'YYMMDD') || '-' || v.n,
    v.status, v.procedure, v.agency, current_date - v.ago, current_date - v.ago + v.days,
    v.missing, v.pickup
FROM (VALUES
	('000.00.21.H21', 12, '0001', 'processing', 'Cấp giấy phép xây dựng nhà ở riêng lẻ',
	    'UBND huyện Cao Lãnh', 15, NULL, NULL),
	('000.00.22.H21', 9, '0017', 'supplement', 'Đăng ký thành lập hộ kinh doanh',
	    'UBND thành phố Sa Đéc', 5, 'Bản sao căn cước công dân của chủ hộ; hợp đồng thuê địa điểm kinh doanh', NULL),
	('000.00.00.H21', 4, '0102', 'ready', 'Cấp phiếu lý lịch tư pháp',
	    'Sở Tư pháp', 10, NULL, 'Trung tâm Phục vụ hành chính công tỉnh, số 85 Nguyễn Huệ, phường 1, TP Cao Lãnh'),
	('000.00.23.H21', 30, '0045', 'processing', 'Cấp giấy chứng nhận quyền sử dụng đất lần đầu',
	    'Chi nhánh Văn phòng Đăng ký đất đai huyện Lai Vung', 25, NULL, NULL),
	('000.00.00.H21', 20, '0230', 'returned', 'Cấp đổi giấy phép lái xe',
	    'Sở Giao thông vận tải', 5, NULL, 'Bộ phận một cửa Sở Giao thông vận tải'),
	('000.00.24.H21', 2, '0008', 'received', 'Chứng thực bản sao từ bản chính',
	    'UBND xã Mỹ Tân, thành phố Cao Lãnh', 1, NULL, NULL)
) AS v (prefix, ago, n, status, procedure, agency, days, missing, pickup)
ON CONFLICT (code) DO UPDATE SET status = EXCLUDED.status, procedure = EXCLUDED.procedure,
    agency = EXCLUDED.agency, received_on = EXCLUDED.received_on, due_on = EXCLUDED.due_on,
    missing = EXCLUDED.missing, pickup = EXCLUDED.pickup, imported_at = now();
