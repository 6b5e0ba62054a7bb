-- Reference data and the two parties everything hangs off: merchants (our tenants)
-- and their customers. Generated with drizzle-kit, then reviewed by hand.
CREATE TABLE "currencies" (
	"code" text PRIMARY KEY NOT NULL,
	"decimals" smallint NOT NULL,
	"name" text NOT NULL,
	CONSTRAINT "currencies_code_check" CHECK ("code" ~ '^[A-Z]{3}$'),
	CONSTRAINT "currencies_decimals_check" CHECK ("decimals" >= 0 AND "decimals" <= 4)
);
--> statement-breakpoint
CREATE TABLE "merchants" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY NOT NULL,
	"legal_name" text NOT NULL,
	"country_code" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "merchants_country_code_check" CHECK ("country_code" ~ '^[A-Z]{2}$')
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY NOT NULL,
	"merchant_id" bigint NOT NULL,
	"email" text NOT NULL,
	"external_ref" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
CREATE UNIQUE INDEX "customers_merchant_id_email_key" ON "customers" USING btree ("merchant_id","email");
--> statement-breakpoint
ALTER TABLE "customers" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "customers" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "customers_tenant_isolation" ON "customers" AS PERMISSIVE FOR ALL TO public
	USING ("customers"."merchant_id" = (select current_setting('app.tenant_id')::bigint))
	WITH CHECK ("customers"."merchant_id" = (select current_setting('app.tenant_id')::bigint));
--> statement-breakpoint
INSERT INTO "currencies" ("code", "decimals", "name") VALUES
	('EUR', 2, 'Euro'),
	('GBP', 2, 'Pound sterling'),
	('USD', 2, 'US dollar'),
	('JPY', 0, 'Yen');
