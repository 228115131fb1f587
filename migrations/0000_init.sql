CREATE TABLE `computations` (
	`key` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`genome_id` integer NOT NULL,
	`dependencies` text NOT NULL,
	`payload` blob NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`used_at` text NOT NULL,
	FOREIGN KEY (`genome_id`) REFERENCES `genomes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `computations_genome_kind_idx` ON `computations` (`genome_id`,`kind`);--> statement-breakpoint
CREATE TABLE `genes` (
	`genome_id` integer NOT NULL,
	`gene_index` integer NOT NULL,
	`text` text NOT NULL,
	PRIMARY KEY(`genome_id`, `gene_index`),
	FOREIGN KEY (`genome_id`) REFERENCES `genomes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `genomes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`fingerprint` text NOT NULL,
	`gene_count` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `genomes_name_unique` ON `genomes` (`name`);--> statement-breakpoint
CREATE INDEX `genomes_fingerprint_idx` ON `genomes` (`fingerprint`);--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `models` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`provider` text NOT NULL,
	`provider_model` text,
	`family` text,
	`mode` text NOT NULL,
	`temperature` real NOT NULL,
	`top_p` real NOT NULL,
	`max_tokens` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `models_name_unique` ON `models` (`name`);--> statement-breakpoint
CREATE INDEX `models_provider_idx` ON `models` (`provider`);--> statement-breakpoint
CREATE TABLE `populations` (
	`model_id` integer NOT NULL,
	`genome_id` integer NOT NULL,
	`revision` integer NOT NULL,
	`sample_count` integer NOT NULL,
	`allele_length` integer NOT NULL,
	`counts` text NOT NULL,
	PRIMARY KEY(`model_id`, `genome_id`),
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`genome_id`) REFERENCES `genomes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `populations_genome_idx` ON `populations` (`genome_id`);--> statement-breakpoint
CREATE TABLE `samples` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`model_id` integer NOT NULL,
	`genome_id` integer NOT NULL,
	`gene_index` integer NOT NULL,
	`sample_index` integer NOT NULL,
	`text` text NOT NULL,
	`source` text NOT NULL,
	`job_id` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`genome_id`,`gene_index`) REFERENCES `genes`(`genome_id`,`gene_index`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `samples_identity_unique` ON `samples` (`model_id`,`genome_id`,`gene_index`,`sample_index`);--> statement-breakpoint
CREATE TABLE `scores` (
	`model_id` integer NOT NULL,
	`benchmark` text NOT NULL,
	`value` real NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`model_id`, `benchmark`),
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `scores_benchmark_idx` ON `scores` (`benchmark`);