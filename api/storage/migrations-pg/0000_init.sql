CREATE TABLE "bundle_activations" (
	"id" text PRIMARY KEY NOT NULL,
	"jurisdiction" text NOT NULL,
	"hash" text NOT NULL,
	"activated_at" text NOT NULL,
	"source" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bundle_blobs" (
	"hash" text NOT NULL,
	"part" integer NOT NULL,
	"text" text NOT NULL,
	CONSTRAINT "bundle_blobs_hash_part_pk" PRIMARY KEY("hash","part")
);
--> statement-breakpoint
CREATE TABLE "bundle_versions" (
	"jurisdiction" text NOT NULL,
	"hash" text NOT NULL,
	"name" text NOT NULL,
	"manifest" text NOT NULL,
	"layers" text NOT NULL,
	"features" integer NOT NULL,
	"source" text NOT NULL,
	"created_at" text NOT NULL,
	CONSTRAINT "bundle_versions_jurisdiction_hash_pk" PRIMARY KEY("jurisdiction","hash")
);
--> statement-breakpoint
CREATE TABLE "decisions" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"jurisdiction" text NOT NULL,
	"verdict" text NOT NULL,
	"activity" text NOT NULL,
	"created_at" text COLLATE "C" NOT NULL,
	"as_of" text NOT NULL,
	"bundle_hash" text NOT NULL,
	"engine_version" text NOT NULL,
	"site_area_m2" double precision NOT NULL,
	"input" text NOT NULL,
	"decision" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "policy_versions" (
	"hash" text PRIMARY KEY NOT NULL,
	"id" text NOT NULL,
	"version" text NOT NULL,
	"level" text NOT NULL,
	"effective_from" text NOT NULL,
	"effective_to" text,
	"document" text NOT NULL,
	"source" text NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "bundle_activations_jurisdiction" ON "bundle_activations" USING btree ("jurisdiction","activated_at");--> statement-breakpoint
CREATE INDEX "decisions_jurisdiction_created" ON "decisions" USING btree ("jurisdiction","created_at");--> statement-breakpoint
CREATE INDEX "decisions_verdict" ON "decisions" USING btree ("verdict");--> statement-breakpoint
CREATE INDEX "decisions_created_id" ON "decisions" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "policy_versions_id" ON "policy_versions" USING btree ("id","version");