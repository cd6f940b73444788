"""What a learner does, over the store and the domain: review, write cards, import and update
roadmaps, check links, report. Both front ends (the command line and the app) call these."""
