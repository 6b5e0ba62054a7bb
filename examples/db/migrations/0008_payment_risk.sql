-- Risk scoring goes live: every payment gets a score from the fraud service,
-- and the capture worker now reads captured_at.
ALTER TABLE payments ADD COLUMN risk_score integer NOT NULL;
ALTER TABLE payments ADD COLUMN captured_at timestamp;
CREATE INDEX payments_created_at_idx ON payments (created_at);
CREATE INDEX payments_merchant_id_idx ON payments (merchant_id);
