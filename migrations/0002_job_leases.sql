ALTER TABLE `probe_jobs` ADD `owner` text;--> statement-breakpoint
ALTER TABLE `probe_jobs` ADD `lease_until` integer;