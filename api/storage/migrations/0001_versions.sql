CREATE TABLE `bundle_activations` (
	`id` text PRIMARY KEY NOT NULL,
	`jurisdiction` text NOT NULL,
	`hash` text NOT NULL,
	`activated_at` text NOT NULL,
	`source` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `bundle_activations_jurisdiction` ON `bundle_activations` (`jurisdiction`,`activated_at`);--> statement-breakpoint
CREATE TABLE `bundle_blobs` (
	`hash` text NOT NULL,
	`part` integer NOT NULL,
	`text` text NOT NULL,
	PRIMARY KEY(`hash`, `part`)
);
--> statement-breakpoint
CREATE TABLE `bundle_versions` (
	`jurisdiction` text NOT NULL,
	`hash` text NOT NULL,
	`name` text NOT NULL,
	`manifest` text NOT NULL,
	`layers` text NOT NULL,
	`features` integer NOT NULL,
	`source` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`jurisdiction`, `hash`)
);
--> statement-breakpoint
CREATE TABLE `policy_versions` (
	`hash` text PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
	`version` text NOT NULL,
	`level` text NOT NULL,
	`effective_from` text NOT NULL,
	`effective_to` text,
	`document` text NOT NULL,
	`source` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `policy_versions_id` ON `policy_versions` (`id`,`version`);--> statement-breakpoint
CREATE INDEX `decisions_created_id` ON `decisions` (`created_at`,`id`);