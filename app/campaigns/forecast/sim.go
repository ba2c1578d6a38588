package forecast

// sim walks the days, serving every step from the senders' budgets.
type sim struct {
	in      Input
	stages  []stage
	senders []sender
	notes   []string // about settings, found while building senders
	days    int      // days simulated
}

func newSim(in Input, stages []stage) *sim {
	s := &sim{in: in, stages: stages}
	s.senders, s.notes = newSenders(in)
	h := in.Horizon
	slab := make([]float64, 2*h*len(stages))
	for i := range s.stages {
		st := &s.stages[i]
		st.arrive, slab = slab[:h:h], slab[h:]
		st.resolve, slab = slab[:h:h], slab[h:]
		st.arrive[0] += float64(waiting(in, i))
	}
	s.stages[0].arrive[0] += float64(in.NotEnrolled)
	return s
}

// run simulates until every step is done or the horizon is reached.
func (s *sim) run() {
	for d := 0; d < s.in.Horizon; d++ {
		for i := range s.senders {
			s.senders[i].startDay(d, s.in.Warmup)
		}
		finished := true
		for i := range s.stages {
			st := &s.stages[i]
			s.serve(i, d)
			if st.doneDay < 0 && st.total > eps {
				if st.done >= st.threshold()-eps {
					st.doneDay = d
				} else {
					finished = false
				}
			}
		}
		s.days = d + 1
		if finished {
			return
		}
	}
}

// serve processes stage i on day d.
func (s *sim) serve(i, d int) {
	st := &s.stages[i]
	st.backlog += st.arrive[d]
	switch {
	case st.wait:
		if x := st.backlog; x > 0 {
			st.backlog = 0
			accepted := x * st.accept
			s.add(st.resolve, d+st.acceptDays, accepted)
			s.add(st.resolve, d+st.timeoutDays, x-accepted)
			s.pass(i, d, x)
		}
		st.done += st.resolve[d]
	case st.act == actNone:
		x := st.backlog
		st.backlog, st.done = 0, st.done+x
		s.pass(i, d, x)
	default:
		s.spend(i, d)
	}
}

// spend processes as much of stage i's backlog as the senders' budgets
// allow, sharing the work out in proportion to what each has left.
func (s *sim) spend(i, d int) {
	st := &s.stages[i]
	if st.backlog <= eps {
		return
	}
	var budget float64
	for j := range s.senders {
		budget += s.senders[j].budget[st.act]
	}
	p := min(st.backlog, budget)
	if p > 0 {
		part := p / budget
		for j := range s.senders {
			sd := &s.senders[j]
			take := sd.budget[st.act] * part
			sd.budget[st.act] -= take
			if st.act == actInvite {
				sd.weekUsed += take
			}
		}
		st.backlog -= p
		st.done += p
		s.pass(i, d, p)
	}
	if st.backlog > eps {
		s.held(st, d)
	}
}

// held records why the senders working on day d could not finish st.
func (s *sim) held(st *stage, d int) {
	for j := range s.senders {
		sd := &s.senders[j]
		why := sd.why[st.act]
		if why == reasonNone || st.bound[why] {
			continue
		}
		st.bound[why] = true
		switch why {
		case reasonWarmup:
			st.warmWho, st.warmCap = j, float64(s.in.Warmup.Cap(sd.warmStart, sd.date(d), sd.limit[st.act]))
		case reasonWeekly:
			st.weeklyWho = j
		}
	}
}

// pass sends n leads processed by stage i on day d on to the next stage.
func (s *sim) pass(i, d int, n float64) {
	if i+1 >= len(s.stages) || n <= 0 {
		return
	}
	st := &s.stages[i]
	s.add(s.stages[i+1].arrive, d+st.lag, n*st.share)
}

func (s *sim) add(by []float64, d int, n float64) {
	if d < len(by) && n > 0 {
		by[d] += n
	}
}
