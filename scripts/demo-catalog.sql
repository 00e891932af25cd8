-- Demo procedures and articles for `make run` (scripts/db demo), so the
-- catalog's pages show something.  Not the national database: the names,
-- fields and fees follow the province's published procedures, the codes are
-- illustrative.  Idempotent: rows already there are left alone.
INSERT INTO procedures (code, name, field, level, receiving_agency,
    deciding_agency, processing_time, fees, online_level, postal, steps,
    dossier, submission, result_delivery, applicants, changed_on, forms,
    updated_via) VALUES
('2.000815', 'Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của Việt Nam cấp hoặc chứng nhận', 'Chứng thực', 'xa', 'Bộ phận Một cửa UBND cấp xã', 'Chủ tịch hoặc Phó Chủ tịch UBND cấp xã', 'Trong ngày cơ quan nhận yêu cầu hoặc ngày làm việc tiếp theo nếu nhận sau 15 giờ', '2.000 đồng/trang; từ trang thứ ba trở lên 1.000 đồng/trang, tối đa 200.000 đồng/bản', 3, true, 'Bước 1: Chuẩn bị hồ sơ theo quy định.
Bước 2: Nộp hồ sơ tại Bộ phận Một cửa UBND cấp xã hoặc trên Cổng dịch vụ công.
Bước 3: Cán bộ tiếp nhận kiểm tra, viết giấy hẹn.
Bước 4: Nhận kết quả theo giấy hẹn.', '- Tờ khai hoặc đơn đề nghị theo mẫu;
- Giấy tờ tùy thân (xuất trình);
- Giấy tờ chứng minh nội dung yêu cầu.', 'Trực tiếp tại Bộ phận Một cửa UBND cấp xã; qua dịch vụ bưu chính công ích; hoặc trực tuyến tại https://dichvucong.dongthap.gov.vn', 'Trực tiếp tại nơi nộp hồ sơ hoặc qua dịch vụ bưu chính công ích', 'Cá nhân, tổ chức', '2024-07-01', '[{"name": "Mẫu đơn, tờ khai", "url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html"}]', 'demo'),
('2.000884', 'Chứng thực chữ ký trong các giấy tờ, văn bản', 'Chứng thực', 'xa', 'Bộ phận Một cửa UBND cấp xã', 'Chủ tịch hoặc Phó Chủ tịch UBND cấp xã', 'Trong ngày cơ quan nhận yêu cầu', '10.000 đồng/trường hợp', 2, false, 'Bước 1: Chuẩn bị hồ sơ theo quy định.
Bước 2: Nộp hồ sơ tại Bộ phận Một cửa UBND cấp xã hoặc trên Cổng dịch vụ công.
Bước 3: Cán bộ tiếp nhận kiểm tra, viết giấy hẹn.
Bước 4: Nhận kết quả theo giấy hẹn.', '- Tờ khai hoặc đơn đề nghị theo mẫu;
- Giấy tờ tùy thân (xuất trình);
- Giấy tờ chứng minh nội dung yêu cầu.', 'Trực tiếp tại Bộ phận Một cửa UBND cấp xã; qua dịch vụ bưu chính công ích; hoặc trực tuyến tại https://dichvucong.dongthap.gov.vn', 'Trực tiếp tại nơi nộp hồ sơ', 'Cá nhân, tổ chức', '2024-07-01', '[{"name": "Mẫu đơn, tờ khai", "url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html"}]', 'demo'),
('2.001035', 'Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản', 'Chứng thực', 'huyen', 'Phòng Tư pháp cấp huyện', 'Trưởng phòng Tư pháp', 'Không quá 02 ngày làm việc', '50.000 đồng/hợp đồng, giao dịch', 2, false, 'Bước 1: Chuẩn bị hồ sơ theo quy định.
Bước 2: Nộp hồ sơ tại Phòng Tư pháp cấp huyện hoặc trên Cổng dịch vụ công.
Bước 3: Cán bộ tiếp nhận kiểm tra, viết giấy hẹn.
Bước 4: Nhận kết quả theo giấy hẹn.', '- Tờ khai hoặc đơn đề nghị theo mẫu;
- Giấy tờ tùy thân (xuất trình);
- Giấy tờ chứng minh nội dung yêu cầu.', 'Trực tiếp tại Phòng Tư pháp cấp huyện; qua dịch vụ bưu chính công ích; hoặc trực tuyến tại https://dichvucong.dongthap.gov.vn', 'Trực tiếp tại nơi nộp hồ sơ', 'Cá nhân, tổ chức', '2024-07-01', '[{"name": "Mẫu đơn, tờ khai", "url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html"}]', 'demo'),
('1.001193', 'Đăng ký khai sinh', 'Hộ tịch', 'xa', 'Bộ phận Một cửa UBND cấp xã', 'UBND cấp xã', 'Ngay trong ngày tiếp nhận hồ sơ', 'Miễn lệ phí đăng ký khai sinh đúng hạn', 4, true, 'Bước 1: Chuẩn bị hồ sơ theo quy định.
Bước 2: Nộp hồ sơ tại Bộ phận Một cửa UBND cấp xã hoặc trên Cổng dịch vụ công.
Bước 3: Cán bộ tiếp nhận kiểm tra, viết giấy hẹn.
Bước 4: Nhận kết quả theo giấy hẹn.', '- Tờ khai hoặc đơn đề nghị theo mẫu;
- Giấy tờ tùy thân (xuất trình);
- Giấy tờ chứng minh nội dung yêu cầu.', 'Trực tiếp tại Bộ phận Một cửa UBND cấp xã; qua dịch vụ bưu chính công ích; hoặc trực tuyến tại https://dichvucong.dongthap.gov.vn', 'Trực tiếp tại nơi nộp hồ sơ hoặc qua dịch vụ bưu chính công ích', 'Cá nhân, tổ chức', '2024-07-01', '[{"name": "Mẫu đơn, tờ khai", "url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html"}]', 'demo'),
('1.000656', 'Đăng ký khai tử', 'Hộ tịch', 'xa', 'Bộ phận Một cửa UBND cấp xã', 'UBND cấp xã', 'Ngay trong ngày tiếp nhận hồ sơ', 'Miễn lệ phí', 4, true, 'Bước 1: Chuẩn bị hồ sơ theo quy định.
Bước 2: Nộp hồ sơ tại Bộ phận Một cửa UBND cấp xã hoặc trên Cổng dịch vụ công.
Bước 3: Cán bộ tiếp nhận kiểm tra, viết giấy hẹn.
Bước 4: Nhận kết quả theo giấy hẹn.', '- Tờ khai hoặc đơn đề nghị theo mẫu;
- Giấy tờ tùy thân (xuất trình);
- Giấy tờ chứng minh nội dung yêu cầu.', 'Trực tiếp tại Bộ phận Một cửa UBND cấp xã; qua dịch vụ bưu chính công ích; hoặc trực tuyến tại https://dichvucong.dongthap.gov.vn', 'Trực tiếp tại nơi nộp hồ sơ hoặc qua dịch vụ bưu chính công ích', 'Cá nhân, tổ chức', '2024-07-01', '[{"name": "Mẫu đơn, tờ khai", "url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html"}]', 'demo'),
('1.000894', 'Đăng ký kết hôn', 'Hộ tịch', 'xa', 'Bộ phận Một cửa UBND cấp xã', 'UBND cấp xã', 'Ngay trong ngày tiếp nhận hồ sơ; trường hợp cần xác minh không quá 05 ngày làm việc', 'Miễn lệ phí', 3, false, 'Bước 1: Chuẩn bị hồ sơ theo quy định.
Bước 2: Nộp hồ sơ tại Bộ phận Một cửa UBND cấp xã hoặc trên Cổng dịch vụ công.
Bước 3: Cán bộ tiếp nhận kiểm tra, viết giấy hẹn.
Bước 4: Nhận kết quả theo giấy hẹn.', '- Tờ khai hoặc đơn đề nghị theo mẫu;
- Giấy tờ tùy thân (xuất trình);
- Giấy tờ chứng minh nội dung yêu cầu.', 'Trực tiếp tại Bộ phận Một cửa UBND cấp xã; qua dịch vụ bưu chính công ích; hoặc trực tuyến tại https://dichvucong.dongthap.gov.vn', 'Trực tiếp tại nơi nộp hồ sơ', 'Cá nhân, tổ chức', '2024-07-01', '[{"name": "Mẫu đơn, tờ khai", "url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html"}]', 'demo'),
('1.004873', 'Cấp bản sao trích lục hộ tịch', 'Hộ tịch', 'xa', 'Bộ phận Một cửa UBND cấp xã', 'UBND cấp xã', 'Ngay trong ngày tiếp nhận yêu cầu', '8.000 đồng/bản sao', 4, true, 'Bước 1: Chuẩn bị hồ sơ theo quy định.
Bước 2: Nộp hồ sơ tại Bộ phận Một cửa UBND cấp xã hoặc trên Cổng dịch vụ công.
Bước 3: Cán bộ tiếp nhận kiểm tra, viết giấy hẹn.
Bước 4: Nhận kết quả theo giấy hẹn.', '- Tờ khai hoặc đơn đề nghị theo mẫu;
- Giấy tờ tùy thân (xuất trình);
- Giấy tờ chứng minh nội dung yêu cầu.', 'Trực tiếp tại Bộ phận Một cửa UBND cấp xã; qua dịch vụ bưu chính công ích; hoặc trực tuyến tại https://dichvucong.dongthap.gov.vn', 'Trực tiếp tại nơi nộp hồ sơ hoặc qua dịch vụ bưu chính công ích', 'Cá nhân, tổ chức', '2024-07-01', '[{"name": "Mẫu đơn, tờ khai", "url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html"}]', 'demo'),
('1.001612', 'Xác nhận thông tin hộ tịch', 'Hộ tịch', 'xa', 'Bộ phận Một cửa UBND cấp xã', 'UBND cấp xã', '03 ngày làm việc', '15.000 đồng/trường hợp', 3, true, 'Bước 1: Chuẩn bị hồ sơ theo quy định.
Bước 2: Nộp hồ sơ tại Bộ phận Một cửa UBND cấp xã hoặc trên Cổng dịch vụ công.
Bước 3: Cán bộ tiếp nhận kiểm tra, viết giấy hẹn.
Bước 4: Nhận kết quả theo giấy hẹn.', '- Tờ khai hoặc đơn đề nghị theo mẫu;
- Giấy tờ tùy thân (xuất trình);
- Giấy tờ chứng minh nội dung yêu cầu.', 'Trực tiếp tại Bộ phận Một cửa UBND cấp xã; qua dịch vụ bưu chính công ích; hoặc trực tuyến tại https://dichvucong.dongthap.gov.vn', 'Trực tiếp tại nơi nộp hồ sơ hoặc qua dịch vụ bưu chính công ích', 'Cá nhân, tổ chức', '2024-07-01', '[{"name": "Mẫu đơn, tờ khai", "url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html"}]', 'demo'),
('1.002755', 'Thay đổi, cải chính, bổ sung thông tin hộ tịch', 'Hộ tịch', 'huyen', 'Bộ phận Một cửa UBND cấp huyện', 'UBND cấp huyện', '03 ngày làm việc; cần xác minh không quá 06 ngày làm việc', '25.000 đồng/trường hợp', 3, false, 'Bước 1: Chuẩn bị hồ sơ theo quy định.
Bước 2: Nộp hồ sơ tại Bộ phận Một cửa UBND cấp huyện hoặc trên Cổng dịch vụ công.
Bước 3: Cán bộ tiếp nhận kiểm tra, viết giấy hẹn.
Bước 4: Nhận kết quả theo giấy hẹn.', '- Tờ khai hoặc đơn đề nghị theo mẫu;
- Giấy tờ tùy thân (xuất trình);
- Giấy tờ chứng minh nội dung yêu cầu.', 'Trực tiếp tại Bộ phận Một cửa UBND cấp huyện; qua dịch vụ bưu chính công ích; hoặc trực tuyến tại https://dichvucong.dongthap.gov.vn', 'Trực tiếp tại nơi nộp hồ sơ', 'Cá nhân, tổ chức', '2024-07-01', '[{"name": "Mẫu đơn, tờ khai", "url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html"}]', 'demo'),
('1.009972', 'Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ', 'Xây dựng', 'huyen', 'Bộ phận Một cửa UBND cấp huyện', 'UBND cấp huyện', '15 ngày kể từ ngày nhận đủ hồ sơ hợp lệ', '75.000 đồng/giấy phép', 3, true, 'Bước 1: Chuẩn bị hồ sơ theo quy định.
Bước 2: Nộp hồ sơ tại Bộ phận Một cửa UBND cấp huyện hoặc trên Cổng dịch vụ công.
Bước 3: Cán bộ tiếp nhận kiểm tra, viết giấy hẹn.
Bước 4: Nhận kết quả theo giấy hẹn.', '- Tờ khai hoặc đơn đề nghị theo mẫu;
- Giấy tờ tùy thân (xuất trình);
- Giấy tờ chứng minh nội dung yêu cầu.', 'Trực tiếp tại Bộ phận Một cửa UBND cấp huyện; qua dịch vụ bưu chính công ích; hoặc trực tuyến tại https://dichvucong.dongthap.gov.vn', 'Trực tiếp tại nơi nộp hồ sơ hoặc qua dịch vụ bưu chính công ích', 'Cá nhân, tổ chức', '2024-07-01', '[{"name": "Mẫu đơn, tờ khai", "url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html"}]', 'demo'),
('1.009974', 'Cấp giấy phép sửa chữa, cải tạo đối với nhà ở riêng lẻ', 'Xây dựng', 'huyen', 'Bộ phận Một cửa UBND cấp huyện', 'UBND cấp huyện', '15 ngày kể từ ngày nhận đủ hồ sơ hợp lệ', '75.000 đồng/giấy phép', 3, true, 'Bước 1: Chuẩn bị hồ sơ theo quy định.
Bước 2: Nộp hồ sơ tại Bộ phận Một cửa UBND cấp huyện hoặc trên Cổng dịch vụ công.
Bước 3: Cán bộ tiếp nhận kiểm tra, viết giấy hẹn.
Bước 4: Nhận kết quả theo giấy hẹn.', '- Tờ khai hoặc đơn đề nghị theo mẫu;
- Giấy tờ tùy thân (xuất trình);
- Giấy tờ chứng minh nội dung yêu cầu.', 'Trực tiếp tại Bộ phận Một cửa UBND cấp huyện; qua dịch vụ bưu chính công ích; hoặc trực tuyến tại https://dichvucong.dongthap.gov.vn', 'Trực tiếp tại nơi nộp hồ sơ hoặc qua dịch vụ bưu chính công ích', 'Cá nhân, tổ chức', '2024-07-01', '[{"name": "Mẫu đơn, tờ khai", "url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html"}]', 'demo'),
('1.009994', 'Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt, cấp I, cấp II', 'Xây dựng', 'tinh', 'Trung tâm Phục vụ hành chính công tỉnh', 'Sở Xây dựng', '20 ngày kể từ ngày nhận đủ hồ sơ hợp lệ', '150.000 đồng/giấy phép', 3, true, 'Bước 1: Chuẩn bị hồ sơ theo quy định.
Bước 2: Nộp hồ sơ tại Trung tâm Phục vụ hành chính công tỉnh hoặc trên Cổng dịch vụ công.
Bước 3: Cán bộ tiếp nhận kiểm tra, viết giấy hẹn.
Bước 4: Nhận kết quả theo giấy hẹn.', '- Tờ khai hoặc đơn đề nghị theo mẫu;
- Giấy tờ tùy thân (xuất trình);
- Giấy tờ chứng minh nội dung yêu cầu.', 'Trực tiếp tại Trung tâm Phục vụ hành chính công tỉnh; qua dịch vụ bưu chính công ích; hoặc trực tuyến tại https://dichvucong.dongthap.gov.vn', 'Trực tiếp tại nơi nộp hồ sơ hoặc qua dịch vụ bưu chính công ích', 'Cá nhân, tổ chức', '2024-07-01', '[{"name": "Mẫu đơn, tờ khai", "url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html"}]', 'demo'),
('1.004227', 'Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận lần đầu', 'Đất đai', 'huyen', 'Chi nhánh Văn phòng đăng ký đất đai cấp huyện', 'UBND cấp huyện', 'Không quá 20 ngày làm việc', 'Theo Nghị quyết của HĐND tỉnh về lệ phí cấp Giấy chứng nhận', 2, false, 'Bước 1: Chuẩn bị hồ sơ theo quy định.
Bước 2: Nộp hồ sơ tại Chi nhánh Văn phòng đăng ký đất đai cấp huyện hoặc trên Cổng dịch vụ công.
Bước 3: Cán bộ tiếp nhận kiểm tra, viết giấy hẹn.
Bước 4: Nhận kết quả theo giấy hẹn.', '- Tờ khai hoặc đơn đề nghị theo mẫu;
- Giấy tờ tùy thân (xuất trình);
- Giấy tờ chứng minh nội dung yêu cầu.', 'Trực tiếp tại Chi nhánh Văn phòng đăng ký đất đai cấp huyện; qua dịch vụ bưu chính công ích; hoặc trực tuyến tại https://dichvucong.dongthap.gov.vn', 'Trực tiếp tại nơi nộp hồ sơ', 'Cá nhân, tổ chức', '2024-07-01', '[{"name": "Mẫu đơn, tờ khai", "url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html"}]', 'demo'),
('1.004221', 'Đăng ký biến động quyền sử dụng đất do chuyển nhượng, tặng cho, thừa kế', 'Đất đai', 'huyen', 'Chi nhánh Văn phòng đăng ký đất đai cấp huyện', 'Văn phòng đăng ký đất đai', 'Không quá 10 ngày làm việc', 'Theo Nghị quyết của HĐND tỉnh', 3, true, 'Bước 1: Chuẩn bị hồ sơ theo quy định.
Bước 2: Nộp hồ sơ tại Chi nhánh Văn phòng đăng ký đất đai cấp huyện hoặc trên Cổng dịch vụ công.
Bước 3: Cán bộ tiếp nhận kiểm tra, viết giấy hẹn.
Bước 4: Nhận kết quả theo giấy hẹn.', '- Tờ khai hoặc đơn đề nghị theo mẫu;
- Giấy tờ tùy thân (xuất trình);
- Giấy tờ chứng minh nội dung yêu cầu.', 'Trực tiếp tại Chi nhánh Văn phòng đăng ký đất đai cấp huyện; qua dịch vụ bưu chính công ích; hoặc trực tuyến tại https://dichvucong.dongthap.gov.vn', 'Trực tiếp tại nơi nộp hồ sơ hoặc qua dịch vụ bưu chính công ích', 'Cá nhân, tổ chức', '2024-07-01', '[{"name": "Mẫu đơn, tờ khai", "url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html"}]', 'demo'),
('1.004203', 'Chuyển mục đích sử dụng đất phải được phép của cơ quan nhà nước có thẩm quyền đối với hộ gia đình, cá nhân', 'Đất đai', 'huyen', 'Bộ phận Một cửa UBND cấp huyện', 'UBND cấp huyện', 'Không quá 15 ngày làm việc', 'Theo Nghị quyết của HĐND tỉnh', 2, false, 'Bước 1: Chuẩn bị hồ sơ theo quy định.
Bước 2: Nộp hồ sơ tại Bộ phận Một cửa UBND cấp huyện hoặc trên Cổng dịch vụ công.
Bước 3: Cán bộ tiếp nhận kiểm tra, viết giấy hẹn.
Bước 4: Nhận kết quả theo giấy hẹn.', '- Tờ khai hoặc đơn đề nghị theo mẫu;
- Giấy tờ tùy thân (xuất trình);
- Giấy tờ chứng minh nội dung yêu cầu.', 'Trực tiếp tại Bộ phận Một cửa UBND cấp huyện; qua dịch vụ bưu chính công ích; hoặc trực tuyến tại https://dichvucong.dongthap.gov.vn', 'Trực tiếp tại nơi nộp hồ sơ', 'Cá nhân, tổ chức', '2024-07-01', '[{"name": "Mẫu đơn, tờ khai", "url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html"}]', 'demo'),
('2.000994', 'Đăng ký thành lập hộ kinh doanh', 'Thành lập và hoạt động của hộ kinh doanh', 'huyen', 'Phòng Tài chính - Kế hoạch cấp huyện', 'Phòng Tài chính - Kế hoạch', '03 ngày làm việc', '100.000 đồng/lần (miễn khi nộp trực tuyến)', 4, true, 'Bước 1: Chuẩn bị hồ sơ theo quy định.
Bước 2: Nộp hồ sơ tại Phòng Tài chính - Kế hoạch cấp huyện hoặc trên Cổng dịch vụ công.
Bước 3: Cán bộ tiếp nhận kiểm tra, viết giấy hẹn.
Bước 4: Nhận kết quả theo giấy hẹn.', '- Tờ khai hoặc đơn đề nghị theo mẫu;
- Giấy tờ tùy thân (xuất trình);
- Giấy tờ chứng minh nội dung yêu cầu.', 'Trực tiếp tại Phòng Tài chính - Kế hoạch cấp huyện; qua dịch vụ bưu chính công ích; hoặc trực tuyến tại https://dichvucong.dongthap.gov.vn', 'Trực tiếp tại nơi nộp hồ sơ hoặc qua dịch vụ bưu chính công ích', 'Cá nhân, tổ chức', '2024-07-01', '[{"name": "Mẫu đơn, tờ khai", "url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html"}]', 'demo'),
('2.000720', 'Đăng ký thay đổi nội dung đăng ký hộ kinh doanh', 'Thành lập và hoạt động của hộ kinh doanh', 'huyen', 'Phòng Tài chính - Kế hoạch cấp huyện', 'Phòng Tài chính - Kế hoạch', '03 ngày làm việc', '50.000 đồng/lần (miễn khi nộp trực tuyến)', 4, true, 'Bước 1: Chuẩn bị hồ sơ theo quy định.
Bước 2: Nộp hồ sơ tại Phòng Tài chính - Kế hoạch cấp huyện hoặc trên Cổng dịch vụ công.
Bước 3: Cán bộ tiếp nhận kiểm tra, viết giấy hẹn.
Bước 4: Nhận kết quả theo giấy hẹn.', '- Tờ khai hoặc đơn đề nghị theo mẫu;
- Giấy tờ tùy thân (xuất trình);
- Giấy tờ chứng minh nội dung yêu cầu.', 'Trực tiếp tại Phòng Tài chính - Kế hoạch cấp huyện; qua dịch vụ bưu chính công ích; hoặc trực tuyến tại https://dichvucong.dongthap.gov.vn', 'Trực tiếp tại nơi nộp hồ sơ hoặc qua dịch vụ bưu chính công ích', 'Cá nhân, tổ chức', '2024-07-01', '[{"name": "Mẫu đơn, tờ khai", "url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html"}]', 'demo'),
('1.001612-DN', 'Đăng ký thành lập doanh nghiệp tư nhân', 'Thành lập và phát triển doanh nghiệp', 'tinh', 'Phòng Đăng ký kinh doanh - Sở Kế hoạch và Đầu tư', 'Sở Kế hoạch và Đầu tư', '03 ngày làm việc', '50.000 đồng/lần (miễn khi đăng ký qua mạng)', 4, true, 'Bước 1: Chuẩn bị hồ sơ theo quy định.
Bước 2: Nộp hồ sơ tại Phòng Đăng ký kinh doanh - Sở Kế hoạch và Đầu tư hoặc trên Cổng dịch vụ công.
Bước 3: Cán bộ tiếp nhận kiểm tra, viết giấy hẹn.
Bước 4: Nhận kết quả theo giấy hẹn.', '- Tờ khai hoặc đơn đề nghị theo mẫu;
- Giấy tờ tùy thân (xuất trình);
- Giấy tờ chứng minh nội dung yêu cầu.', 'Trực tiếp tại Phòng Đăng ký kinh doanh - Sở Kế hoạch và Đầu tư; qua dịch vụ bưu chính công ích; hoặc trực tuyến tại https://dichvucong.dongthap.gov.vn', 'Trực tiếp tại nơi nộp hồ sơ hoặc qua dịch vụ bưu chính công ích', 'Cá nhân, tổ chức', '2024-07-01', '[{"name": "Mẫu đơn, tờ khai", "url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html"}]', 'demo'),
('1.009645', 'Quyết định chủ trương đầu tư của UBND cấp tỉnh', 'Đầu tư tại Việt Nam', 'tinh', 'Trung tâm Phục vụ hành chính công tỉnh', 'UBND tỉnh', '35 ngày kể từ ngày nhận đủ hồ sơ', 'Không', 3, true, 'Bước 1: Chuẩn bị hồ sơ theo quy định.
Bước 2: Nộp hồ sơ tại Trung tâm Phục vụ hành chính công tỉnh hoặc trên Cổng dịch vụ công.
Bước 3: Cán bộ tiếp nhận kiểm tra, viết giấy hẹn.
Bước 4: Nhận kết quả theo giấy hẹn.', '- Tờ khai hoặc đơn đề nghị theo mẫu;
- Giấy tờ tùy thân (xuất trình);
- Giấy tờ chứng minh nội dung yêu cầu.', 'Trực tiếp tại Trung tâm Phục vụ hành chính công tỉnh; qua dịch vụ bưu chính công ích; hoặc trực tuyến tại https://dichvucong.dongthap.gov.vn', 'Trực tiếp tại nơi nộp hồ sơ hoặc qua dịch vụ bưu chính công ích', 'Cá nhân, tổ chức', '2024-07-01', '[{"name": "Mẫu đơn, tờ khai", "url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html"}]', 'demo'),
('1.009757', 'Cấp Giấy chứng nhận đăng ký đầu tư đối với dự án không thuộc diện chấp thuận chủ trương đầu tư', 'Đầu tư tại Việt Nam', 'tinh', 'Ban Quản lý các khu công nghiệp tỉnh', 'Ban Quản lý các khu công nghiệp', '15 ngày kể từ ngày nhận đủ hồ sơ', 'Không', 3, true, 'Bước 1: Chuẩn bị hồ sơ theo quy định.
Bước 2: Nộp hồ sơ tại Ban Quản lý các khu công nghiệp tỉnh hoặc trên Cổng dịch vụ công.
Bước 3: Cán bộ tiếp nhận kiểm tra, viết giấy hẹn.
Bước 4: Nhận kết quả theo giấy hẹn.', '- Tờ khai hoặc đơn đề nghị theo mẫu;
- Giấy tờ tùy thân (xuất trình);
- Giấy tờ chứng minh nội dung yêu cầu.', 'Trực tiếp tại Ban Quản lý các khu công nghiệp tỉnh; qua dịch vụ bưu chính công ích; hoặc trực tuyến tại https://dichvucong.dongthap.gov.vn', 'Trực tiếp tại nơi nộp hồ sơ hoặc qua dịch vụ bưu chính công ích', 'Cá nhân, tổ chức', '2024-07-01', '[{"name": "Mẫu đơn, tờ khai", "url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html"}]', 'demo'),
('1.001257', 'Cấp giấy phép lái xe (đổi giấy phép lái xe do ngành Giao thông vận tải cấp)', 'Đường bộ', 'tinh', 'Trung tâm Phục vụ hành chính công tỉnh', 'Sở Giao thông vận tải', '05 ngày làm việc', '135.000 đồng/lần', 4, true, 'Bước 1: Chuẩn bị hồ sơ theo quy định.
Bước 2: Nộp hồ sơ tại Trung tâm Phục vụ hành chính công tỉnh hoặc trên Cổng dịch vụ công.
Bước 3: Cán bộ tiếp nhận kiểm tra, viết giấy hẹn.
Bước 4: Nhận kết quả theo giấy hẹn.', '- Tờ khai hoặc đơn đề nghị theo mẫu;
- Giấy tờ tùy thân (xuất trình);
- Giấy tờ chứng minh nội dung yêu cầu.', 'Trực tiếp tại Trung tâm Phục vụ hành chính công tỉnh; qua dịch vụ bưu chính công ích; hoặc trực tuyến tại https://dichvucong.dongthap.gov.vn', 'Trực tiếp tại nơi nộp hồ sơ hoặc qua dịch vụ bưu chính công ích', 'Cá nhân, tổ chức', '2024-07-01', '[{"name": "Mẫu đơn, tờ khai", "url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html"}]', 'demo'),
('2.001711', 'Cấp phù hiệu xe ô tô kinh doanh vận tải', 'Đường bộ', 'tinh', 'Trung tâm Phục vụ hành chính công tỉnh', 'Sở Giao thông vận tải', '02 ngày làm việc', 'Không', 4, true, 'Bước 1: Chuẩn bị hồ sơ theo quy định.
Bước 2: Nộp hồ sơ tại Trung tâm Phục vụ hành chính công tỉnh hoặc trên Cổng dịch vụ công.
Bước 3: Cán bộ tiếp nhận kiểm tra, viết giấy hẹn.
Bước 4: Nhận kết quả theo giấy hẹn.', '- Tờ khai hoặc đơn đề nghị theo mẫu;
- Giấy tờ tùy thân (xuất trình);
- Giấy tờ chứng minh nội dung yêu cầu.', 'Trực tiếp tại Trung tâm Phục vụ hành chính công tỉnh; qua dịch vụ bưu chính công ích; hoặc trực tuyến tại https://dichvucong.dongthap.gov.vn', 'Trực tiếp tại nơi nộp hồ sơ hoặc qua dịch vụ bưu chính công ích', 'Cá nhân, tổ chức', '2024-07-01', '[{"name": "Mẫu đơn, tờ khai", "url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html"}]', 'demo'),
('1.004946', 'Cấp giấy chứng nhận đủ điều kiện an toàn thực phẩm đối với cơ sở sản xuất, kinh doanh thực phẩm', 'An toàn thực phẩm', 'tinh', 'Trung tâm Phục vụ hành chính công tỉnh', 'Sở Y tế', '20 ngày làm việc', 'Theo Thông tư của Bộ Tài chính về phí thẩm định', 3, true, 'Bước 1: Chuẩn bị hồ sơ theo quy định.
Bước 2: Nộp hồ sơ tại Trung tâm Phục vụ hành chính công tỉnh hoặc trên Cổng dịch vụ công.
Bước 3: Cán bộ tiếp nhận kiểm tra, viết giấy hẹn.
Bước 4: Nhận kết quả theo giấy hẹn.', '- Tờ khai hoặc đơn đề nghị theo mẫu;
- Giấy tờ tùy thân (xuất trình);
- Giấy tờ chứng minh nội dung yêu cầu.', 'Trực tiếp tại Trung tâm Phục vụ hành chính công tỉnh; qua dịch vụ bưu chính công ích; hoặc trực tuyến tại https://dichvucong.dongthap.gov.vn', 'Trực tiếp tại nơi nộp hồ sơ hoặc qua dịch vụ bưu chính công ích', 'Cá nhân, tổ chức', '2024-07-01', '[{"name": "Mẫu đơn, tờ khai", "url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html"}]', 'demo'),
('1.001776', 'Thủ tục hưởng trợ cấp thất nghiệp', 'Việc làm', 'tinh', 'Trung tâm Dịch vụ việc làm tỉnh', 'Sở Lao động - Thương binh và Xã hội', '20 ngày làm việc', 'Không', 3, true, 'Bước 1: Chuẩn bị hồ sơ theo quy định.
Bước 2: Nộp hồ sơ tại Trung tâm Dịch vụ việc làm tỉnh hoặc trên Cổng dịch vụ công.
Bước 3: Cán bộ tiếp nhận kiểm tra, viết giấy hẹn.
Bước 4: Nhận kết quả theo giấy hẹn.', '- Tờ khai hoặc đơn đề nghị theo mẫu;
- Giấy tờ tùy thân (xuất trình);
- Giấy tờ chứng minh nội dung yêu cầu.', 'Trực tiếp tại Trung tâm Dịch vụ việc làm tỉnh; qua dịch vụ bưu chính công ích; hoặc trực tuyến tại https://dichvucong.dongthap.gov.vn', 'Trực tiếp tại nơi nộp hồ sơ hoặc qua dịch vụ bưu chính công ích', 'Cá nhân, tổ chức', '2024-07-01', '[{"name": "Mẫu đơn, tờ khai", "url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html"}]', 'demo'),
('2.000286', 'Trợ giúp xã hội thường xuyên tại cộng đồng', 'Bảo trợ xã hội', 'huyen', 'Bộ phận Một cửa UBND cấp xã', 'Chủ tịch UBND cấp huyện', 'Không quá 22 ngày làm việc', 'Không', 2, false, 'Bước 1: Chuẩn bị hồ sơ theo quy định.
Bước 2: Nộp hồ sơ tại Bộ phận Một cửa UBND cấp xã hoặc trên Cổng dịch vụ công.
Bước 3: Cán bộ tiếp nhận kiểm tra, viết giấy hẹn.
Bước 4: Nhận kết quả theo giấy hẹn.', '- Tờ khai hoặc đơn đề nghị theo mẫu;
- Giấy tờ tùy thân (xuất trình);
- Giấy tờ chứng minh nội dung yêu cầu.', 'Trực tiếp tại Bộ phận Một cửa UBND cấp xã; qua dịch vụ bưu chính công ích; hoặc trực tuyến tại https://dichvucong.dongthap.gov.vn', 'Trực tiếp tại nơi nộp hồ sơ', 'Cá nhân, tổ chức', '2024-07-01', '[{"name": "Mẫu đơn, tờ khai", "url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html"}]', 'demo'),
('1.001699', 'Xác nhận hộ gia đình làm nông nghiệp có mức sống trung bình', 'Bảo trợ xã hội', 'xa', 'Bộ phận Một cửa UBND cấp xã', 'UBND cấp xã', 'Không quá 10 ngày làm việc', 'Không', 2, false, 'Bước 1: Chuẩn bị hồ sơ theo quy định.
Bước 2: Nộp hồ sơ tại Bộ phận Một cửa UBND cấp xã hoặc trên Cổng dịch vụ công.
Bước 3: Cán bộ tiếp nhận kiểm tra, viết giấy hẹn.
Bước 4: Nhận kết quả theo giấy hẹn.', '- Tờ khai hoặc đơn đề nghị theo mẫu;
- Giấy tờ tùy thân (xuất trình);
- Giấy tờ chứng minh nội dung yêu cầu.', 'Trực tiếp tại Bộ phận Một cửa UBND cấp xã; qua dịch vụ bưu chính công ích; hoặc trực tuyến tại https://dichvucong.dongthap.gov.vn', 'Trực tiếp tại nơi nộp hồ sơ', 'Cá nhân, tổ chức', '2024-07-01', '[{"name": "Mẫu đơn, tờ khai", "url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html"}]', 'demo'),
('1.005097', 'Cấp giấy phép kinh doanh karaoke', 'Văn hóa', 'huyen', 'Bộ phận Một cửa UBND cấp huyện', 'UBND cấp huyện', '05 ngày làm việc', 'Theo quy định về phí thẩm định', 3, true, 'Bước 1: Chuẩn bị hồ sơ theo quy định.
Bước 2: Nộp hồ sơ tại Bộ phận Một cửa UBND cấp huyện hoặc trên Cổng dịch vụ công.
Bước 3: Cán bộ tiếp nhận kiểm tra, viết giấy hẹn.
Bước 4: Nhận kết quả theo giấy hẹn.', '- Tờ khai hoặc đơn đề nghị theo mẫu;
- Giấy tờ tùy thân (xuất trình);
- Giấy tờ chứng minh nội dung yêu cầu.', 'Trực tiếp tại Bộ phận Một cửa UBND cấp huyện; qua dịch vụ bưu chính công ích; hoặc trực tuyến tại https://dichvucong.dongthap.gov.vn', 'Trực tiếp tại nơi nộp hồ sơ hoặc qua dịch vụ bưu chính công ích', 'Cá nhân, tổ chức', '2024-07-01', '[{"name": "Mẫu đơn, tờ khai", "url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html"}]', 'demo'),
('1.003620', 'Công nhận điểm du lịch', 'Du lịch', 'tinh', 'Trung tâm Phục vụ hành chính công tỉnh', 'Sở Văn hóa, Thể thao và Du lịch', '30 ngày kể từ ngày nhận đủ hồ sơ', 'Không', 3, true, 'Bước 1: Chuẩn bị hồ sơ theo quy định.
Bước 2: Nộp hồ sơ tại Trung tâm Phục vụ hành chính công tỉnh hoặc trên Cổng dịch vụ công.
Bước 3: Cán bộ tiếp nhận kiểm tra, viết giấy hẹn.
Bước 4: Nhận kết quả theo giấy hẹn.', '- Tờ khai hoặc đơn đề nghị theo mẫu;
- Giấy tờ tùy thân (xuất trình);
- Giấy tờ chứng minh nội dung yêu cầu.', 'Trực tiếp tại Trung tâm Phục vụ hành chính công tỉnh; qua dịch vụ bưu chính công ích; hoặc trực tuyến tại https://dichvucong.dongthap.gov.vn', 'Trực tiếp tại nơi nộp hồ sơ hoặc qua dịch vụ bưu chính công ích', 'Cá nhân, tổ chức', '2024-07-01', '[{"name": "Mẫu đơn, tờ khai", "url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html"}]', 'demo'),
('1.001714', 'Cấp giấy phép khai thác nước dưới đất với lưu lượng dưới 3.000 m³/ngày đêm', 'Tài nguyên nước', 'tinh', 'Trung tâm Phục vụ hành chính công tỉnh', 'UBND tỉnh', '30 ngày làm việc', 'Theo Nghị quyết của HĐND tỉnh', 2, false, 'Bước 1: Chuẩn bị hồ sơ theo quy định.
Bước 2: Nộp hồ sơ tại Trung tâm Phục vụ hành chính công tỉnh hoặc trên Cổng dịch vụ công.
Bước 3: Cán bộ tiếp nhận kiểm tra, viết giấy hẹn.
Bước 4: Nhận kết quả theo giấy hẹn.', '- Tờ khai hoặc đơn đề nghị theo mẫu;
- Giấy tờ tùy thân (xuất trình);
- Giấy tờ chứng minh nội dung yêu cầu.', 'Trực tiếp tại Trung tâm Phục vụ hành chính công tỉnh; qua dịch vụ bưu chính công ích; hoặc trực tuyến tại https://dichvucong.dongthap.gov.vn', 'Trực tiếp tại nơi nộp hồ sơ', 'Cá nhân, tổ chức', '2024-07-01', '[{"name": "Mẫu đơn, tờ khai", "url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html"}]', 'demo'),
('1.008004', 'Đăng ký thường trú', 'Đăng ký, quản lý cư trú', 'xa', 'Công an cấp xã', 'Công an cấp xã', '07 ngày làm việc', '20.000 đồng (10.000 đồng khi nộp trực tuyến)', 4, false, 'Bước 1: Chuẩn bị hồ sơ theo quy định.
Bước 2: Nộp hồ sơ tại Công an cấp xã hoặc trên Cổng dịch vụ công.
Bước 3: Cán bộ tiếp nhận kiểm tra, viết giấy hẹn.
Bước 4: Nhận kết quả theo giấy hẹn.', '- Tờ khai hoặc đơn đề nghị theo mẫu;
- Giấy tờ tùy thân (xuất trình);
- Giấy tờ chứng minh nội dung yêu cầu.', 'Trực tiếp tại Công an cấp xã; qua dịch vụ bưu chính công ích; hoặc trực tuyến tại https://dichvucong.dongthap.gov.vn', 'Trực tiếp tại nơi nộp hồ sơ', 'Cá nhân, tổ chức', '2024-07-01', '[{"name": "Mẫu đơn, tờ khai", "url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html"}]', 'demo'),
('1.003010', 'Giải quyết khiếu nại lần đầu tại cấp xã', 'Giải quyết khiếu nại', 'xa', 'Bộ phận Tiếp công dân UBND cấp xã', 'Chủ tịch UBND cấp xã', 'Không quá 30 ngày kể từ ngày thụ lý', 'Không', 1, false, 'Bước 1: Chuẩn bị hồ sơ theo quy định.
Bước 2: Nộp hồ sơ tại Bộ phận Tiếp công dân UBND cấp xã hoặc trên Cổng dịch vụ công.
Bước 3: Cán bộ tiếp nhận kiểm tra, viết giấy hẹn.
Bước 4: Nhận kết quả theo giấy hẹn.', '- Tờ khai hoặc đơn đề nghị theo mẫu;
- Giấy tờ tùy thân (xuất trình);
- Giấy tờ chứng minh nội dung yêu cầu.', 'Trực tiếp tại Bộ phận Tiếp công dân UBND cấp xã; qua dịch vụ bưu chính công ích; hoặc trực tuyến tại https://dichvucong.dongthap.gov.vn', 'Trực tiếp tại nơi nộp hồ sơ', 'Cá nhân, tổ chức', '2024-07-01', '[]', 'demo'),
('1.005462', 'Cấp giấy chứng nhận quyền sử dụng đất cho tổ chức trong khu công nghiệp', 'Đất đai', 'tinh', 'Văn phòng đăng ký đất đai tỉnh', 'Sở Tài nguyên và Môi trường', 'Không quá 20 ngày làm việc', 'Theo Nghị quyết của HĐND tỉnh', 2, false, 'Bước 1: Chuẩn bị hồ sơ theo quy định.
Bước 2: Nộp hồ sơ tại Văn phòng đăng ký đất đai tỉnh hoặc trên Cổng dịch vụ công.
Bước 3: Cán bộ tiếp nhận kiểm tra, viết giấy hẹn.
Bước 4: Nhận kết quả theo giấy hẹn.', '- Tờ khai hoặc đơn đề nghị theo mẫu;
- Giấy tờ tùy thân (xuất trình);
- Giấy tờ chứng minh nội dung yêu cầu.', 'Trực tiếp tại Văn phòng đăng ký đất đai tỉnh; qua dịch vụ bưu chính công ích; hoặc trực tuyến tại https://dichvucong.dongthap.gov.vn', 'Trực tiếp tại nơi nộp hồ sơ', 'Cá nhân, tổ chức', '2024-07-01', '[{"name": "Mẫu đơn, tờ khai", "url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html"}]', 'demo')
ON CONFLICT (code) DO NOTHING;

INSERT INTO articles (slug, kind, title, body, field, publish_at, expires_at) VALUES
('uu-dai-dau-tu-khu-cong-nghiep', 'chinh-sach', 'Ưu đãi đầu tư vào các khu công nghiệp của tỉnh',
 'Dự án đầu tư vào khu công nghiệp được miễn thuế thu nhập doanh nghiệp 02 năm, giảm 50% trong 04 năm tiếp theo theo Luật Thuế thu nhập doanh nghiệp; được hỗ trợ thủ tục tại Ban Quản lý các khu công nghiệp tỉnh.\nLiên hệ: Ban Quản lý các khu công nghiệp tỉnh, gọi 1022 để được hướng dẫn.', 'Đầu tư', now() - interval '30 days', NULL),
('mua-hoa-sa-dec', 'thong-bao', 'Lễ hội Làng hoa Sa Đéc: lịch, phân luồng giao thông',
 'Trong thời gian diễn ra lễ hội, các tuyến đường vào làng hoa được phân luồng; xe khách dừng tại bãi đỗ quy định. Người dân, du khách gọi 1022 để biết thông tin chi tiết.', 'Du lịch', now() - interval '2 days', now() + interval '40 days'),
('nghi-tet-bo-phan-mot-cua', 'thong-bao', 'Lịch tiếp nhận hồ sơ của Bộ phận Một cửa dịp nghỉ Tết',
 'Bộ phận Một cửa các cấp nghỉ tiếp nhận hồ sơ trực tiếp trong thời gian nghỉ Tết theo quy định; hồ sơ trực tuyến vẫn được tiếp nhận và xử lý sau kỳ nghỉ.', '', now() - interval '1 day', now() + interval '20 days'),
('hoi-dap-chung-thuc-ban-sao', 'hoi-dap', 'Chứng thực bản sao ở đâu, mất bao lâu?',
 'Người dân có thể chứng thực bản sao từ bản chính tại UBND cấp xã, Phòng Tư pháp cấp huyện hoặc tổ chức hành nghề công chứng; kết quả trả trong ngày.', 'Chứng thực', now() - interval '60 days', NULL)
ON CONFLICT (slug) DO NOTHING;
