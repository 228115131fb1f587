CREATE TABLE `probe_jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`model_id` integer NOT NULL,
	`genome_id` integer NOT NULL,
	`samples_per_gene` integer NOT NULL,
	`max_tokens` integer NOT NULL,
	`status` text NOT NULL,
	`completed` integer NOT NULL,
	`total` integer NOT NULL,
	`error` text,
	`warnings` text DEFAULT '[]' NOT NULL,
	`collapsed` integer DEFAULT false NOT NULL,
	`requests` integer DEFAULT 0 NOT NULL,
	`prompt_tokens` integer DEFAULT 0 NOT NULL,
	`completion_tokens` integer DEFAULT 0 NOT NULL,
	`cost_usd` real DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`started_at` text,
	`finished_at` text,
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`genome_id`) REFERENCES `genomes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `probe_jobs_status_idx` ON `probe_jobs` (`status`);--> statement-breakpoint
CREATE INDEX `probe_jobs_model_genome_idx` ON `probe_jobs` (`model_id`,`genome_id`);--> statement-breakpoint
CREATE TABLE `probe_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job_id` integer NOT NULL,
	`gene_index` integer NOT NULL,
	`samples` integer NOT NULL,
	`prompt_tokens` integer NOT NULL,
	`completion_tokens` integer NOT NULL,
	`cost_usd` real NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`job_id`) REFERENCES `probe_jobs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `probe_requests_job_idx` ON `probe_requests` (`job_id`);