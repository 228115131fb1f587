ALTER TABLE `genomes` ADD `design` text;--> statement-breakpoint
ALTER TABLE `probe_jobs` ADD `adaptive` text;--> statement-breakpoint
ALTER TABLE `probe_jobs` ADD `adaptive_report` text;