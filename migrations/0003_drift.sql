CREATE TABLE `drift_alerts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`model_id` integer NOT NULL,
	`genome_id` integer NOT NULL,
	`from_job_id` integer NOT NULL,
	`to_job_id` integer NOT NULL,
	`distance` real NOT NULL,
	`p_value` real NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`genome_id`) REFERENCES `genomes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `drift_alerts_rounds_unique` ON `drift_alerts` (`from_job_id`,`to_job_id`);--> statement-breakpoint
CREATE INDEX `drift_alerts_model_genome_idx` ON `drift_alerts` (`model_id`,`genome_id`);--> statement-breakpoint
CREATE TABLE `probe_schedules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`model_id` integer NOT NULL,
	`genome_id` integer NOT NULL,
	`every` text NOT NULL,
	`every_ms` integer NOT NULL,
	`samples_per_gene` integer NOT NULL,
	`next_at` integer NOT NULL,
	`checked_job_id` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`genome_id`) REFERENCES `genomes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `probe_schedules_model_genome_unique` ON `probe_schedules` (`model_id`,`genome_id`);