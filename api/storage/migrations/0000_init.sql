CREATE TABLE `decisions` (
	`id` text PRIMARY KEY NOT NULL,
	`jurisdiction` text NOT NULL,
	`verdict` text NOT NULL,
	`activity` text NOT NULL,
	`created_at` text NOT NULL,
	`as_of` text NOT NULL,
	`bundle_hash` text NOT NULL,
	`engine_version` text NOT NULL,
	`site_area_m2` real NOT NULL,
	`input` text NOT NULL,
	`decision` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `decisions_jurisdiction_created` ON `decisions` (`jurisdiction`,`created_at`);--> statement-breakpoint
CREATE INDEX `decisions_verdict` ON `decisions` (`verdict`);